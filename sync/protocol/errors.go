package protocol

import (
	"fmt"
	"net/http"
)

// Error codes. The replicator decides what to do from the code: retry,
// stop, or rewind its push position.
const (
	// CodeGap: the push starts past the hub's mark+1. Expected says where
	// the hub wants the station to resume.
	CodeGap = "gap"
	// CodeSeqConflict: a sequence the hub already holds carries a different
	// event id. The station's journal is not the one the hub knows (a
	// replaced or restored store): a person must look before anything moves.
	CodeSeqConflict = "sequence_conflict"
	CodeBadRequest  = "bad_request"
	CodeUnauth      = "unauthorized" // no token or an unknown one
	CodeForbidden   = "forbidden"    // a token that may not do this
	CodeNotFound    = "not_found"
	CodeConflict    = "conflict" // an admin action that contradicts the hub's state
	CodeVersion     = "version"  // the request speaks another protocol version
	CodeTooLarge    = "too_large"
	CodeInternal    = "internal"
	CodeUnavailable = "unavailable"
	// CodeBusy: the token has as many large requests running as the hub
	// allows; Retry-After says when to try again.
	CodeBusy = "busy"
	// CodeQuota: the station's events at the hub reached its storage
	// quota; nothing of the push was applied.
	CodeQuota = "over_quota"
	// CodeBuild: the station's tote build is one the hub does not take
	// (older than its minimum, or of a newer major version).
	CodeBuild = "build"
)

// Error is an answer other than success, from the hub's API. The body of
// every non-2xx response is {"error": Error}.
type Error struct {
	Status   int    `json:"status"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Expected int64  `json:"expected,omitempty"` // CodeGap: the next sequence the hub will take
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s (%d %s)", e.Message, e.Status, e.Code)
	}
	return e.Message
}

// ErrorBody is the JSON body of an error response.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Errorf makes an Error with the HTTP status that goes with code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Status: StatusOf(code), Code: code, Message: fmt.Sprintf(format, args...)}
}

// StatusOf is the HTTP status for an error code.
func StatusOf(code string) int {
	switch code {
	case CodeGap, CodeSeqConflict, CodeConflict:
		return http.StatusConflict
	case CodeBadRequest:
		return http.StatusBadRequest
	case CodeUnauth:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	case CodeNotFound:
		return http.StatusNotFound
	case CodeVersion, CodeBuild:
		return http.StatusUpgradeRequired
	case CodeBusy:
		return http.StatusTooManyRequests
	case CodeQuota:
		return http.StatusInsufficientStorage
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

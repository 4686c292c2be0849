package floor

// Command is an action an operator can take by key or by scanning its
// command barcode (CMD:<Code>), so gloved hands never need the keyboard.
type Command string

const (
	CmdOK             Command = "OK"
	CmdCancel         Command = "CANCEL"
	CmdQuantity       Command = "QTY"
	CmdUndo           Command = "UNDO"
	CmdSkip           Command = "SKIP"
	CmdShort          Command = "SHORT"
	CmdLogout         Command = "LOGOUT"
	CmdCount          Command = "COUNT" // a pick cart: record a count task from the office
	CmdHelp           Command = "HELP"
	CmdReasonNotFound Command = "REASON-NOTFOUND"
	CmdReasonDamaged  Command = "REASON-DAMAGED"
	CmdReasonQtyShort Command = "REASON-QTYSHORT"
)

// CommandInfo describes a command for screens, docs and the printed sheet.
type CommandInfo struct {
	Command     Command
	Description string
}

// Barcode is what the command's barcode encodes.
func (c Command) Barcode() string { return "CMD:" + string(c) }

// PickCommands are the commands of the pick flow, in sheet order.
var PickCommands = []CommandInfo{
	{CmdOK, "Confirm (a large quantity, a prompt)"},
	{CmdCancel, "Cancel the current prompt"},
	{CmdQuantity, "Enter a quantity for several units at once"},
	{CmdUndo, "Undo the last scan of this task"},
	{CmdSkip, "Skip this task: it moves to the end of the walk"},
	{CmdShort, "Short pick: not all units are there"},
	{CmdCount, "Count a location for the supervisor (a count task from the office)"},
	{CmdReasonNotFound, "Short reason: item not found"},
	{CmdReasonDamaged, "Short reason: damaged"},
	{CmdReasonQtyShort, "Short reason: quantity short"},
	{CmdHelp, "Show or hide the help panel"},
	{CmdLogout, "Log out"},
}

// ReasonCommand maps a short-reason command to its reason.
func ReasonCommand(c Command) (ShortReason, bool) {
	switch c {
	case CmdReasonNotFound:
		return ShortNotFound, true
	case CmdReasonDamaged:
		return ShortDamaged, true
	case CmdReasonQtyShort:
		return ShortQtyShort, true
	}
	return "", false
}

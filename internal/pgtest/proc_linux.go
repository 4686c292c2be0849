package pgtest

import "syscall"

// The server dies with the test binary, however that ends.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }

func withCredential(a *syscall.SysProcAttr, uid, gid uint32) *syscall.SysProcAttr {
	a.Credential = &syscall.Credential{Uid: uid, Gid: gid}
	return a
}

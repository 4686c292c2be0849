//go:build !linux

package pgtest

import "syscall"

func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

// Only Linux CI runs as root; elsewhere the cluster runs as the test's user.
func withCredential(a *syscall.SysProcAttr, _, _ uint32) *syscall.SysProcAttr { return a }

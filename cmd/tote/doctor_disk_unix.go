//go:build unix

package main

import "golang.org/x/sys/unix"

// doctorFreeSpace is how many bytes an ordinary user may still write on the
// file system holding path.
func doctorFreeSpace(path string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

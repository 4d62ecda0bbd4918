// Package fsutil writes files atomically: the content goes to a temporary file in the same
// directory, which is synced and renamed over the destination only when writing succeeded, so a
// killed run or a failed encoder never leaves a half-written file behind.
package fsutil

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes the file at path with the bytes produced by write, atomically. The file gets
// mode 0644. On any error the destination is left as it was and the temporary file is removed.
func WriteFile(path string, write func(w io.Writer) error) (err error) {
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteBytes writes data to path atomically.
func WriteBytes(path string, data []byte) error {
	return WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// CanWrite reports, before a long computation, whether WriteFile(path, …) could create its
// file: it creates and removes a temporary file next to path, and errs as WriteFile would.
func CanWrite(path string) error {
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// createTemp creates the temporary file that becomes path, in path's directory. Its error says
// why no file could be created there, naming the directory rather than the temporary file's
// random name.
func createTemp(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, dirError(dir, err))
	}
	return tmp, nil
}

func dirError(dir string, err error) error {
	if st, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("directory %s does not exist", dir)
	} else if serr == nil && !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot create a file in %s: %w", dir, err)
}

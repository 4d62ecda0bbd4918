package fsutil

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriteFileReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	require.NoError(t, WriteBytes(path, []byte("first")))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "first", string(got))

	// A failing writer leaves the old content and no temporary file.
	err = WriteFile(path, func(w io.Writer) error {
		_, _ = w.Write([]byte("partial"))
		return errors.New("encoder failed")
	})
	require.ErrorContains(t, err, "encoder failed")
	require.ErrorContains(t, err, path)
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "first", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "temporary file left behind")
}

func TestWriteFileMissingDirectory(t *testing.T) {
	err := WriteBytes(filepath.Join(t.TempDir(), "no", "such", "dir", "f"), []byte("x"))
	require.Error(t, err)
}

// A destination that cannot be created is named with its directory and the reason, not the
// temporary file's random name.
func TestWriteFileDirectoryErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope", "out.png")
	require.EqualError(t, WriteBytes(missing, nil), "write "+missing+": directory "+filepath.Join(dir, "nope")+" does not exist")
	require.EqualError(t, CanWrite(missing), "write "+missing+": directory "+filepath.Join(dir, "nope")+" does not exist")
	require.NoError(t, CanWrite(filepath.Join(dir, "out.png")))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries, "CanWrite leaves nothing behind")
	file := filepath.Join(dir, "file")
	require.NoError(t, WriteBytes(file, []byte("x")))
	under := filepath.Join(file, "out.png")
	require.EqualError(t, WriteBytes(under, nil), "write "+under+": "+file+" is not a directory")
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		err := WriteBytes(filepath.Join(ro, "out.png"), nil)
		require.ErrorContains(t, err, "cannot create a file in "+ro+": permission denied")
		require.NotContains(t, err.Error(), ".tmp-")
	}
}

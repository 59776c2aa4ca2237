package storage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/ncsoap/ncsoap/netconfcore/storage"
)

func ExampleOpenDir() {
	stateDir, err := os.MkdirTemp("", "ncsoap-state")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(stateDir)

	ctx := context.Background()
	d, err := storage.OpenDir(filepath.Join(stateDir, "datastores"))
	if err != nil {
		log.Fatal(err) // e.g. a *storage.LockedError: another server uses the directory
	}
	defer d.Close()

	// Save streams the new value; it is in place, and fsynced, when Save
	// returns nil.
	err = d.Save(ctx, "running", func(w io.Writer) error {
		_, err := io.WriteString(w, "<config><hostname>r1</hostname></config>")
		return err
	})
	if err != nil {
		log.Fatal(err)
	}

	r, err := d.Load(ctx, "running")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	// Read to io.EOF: only then is the checksum verified.
	config, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err) // a *storage.CorruptError names the damaged file
	}
	fmt.Printf("%s\n", config)

	_, err = d.Load(ctx, "startup")
	fmt.Println(errors.Is(err, storage.ErrNotExist))
	// Output:
	// <config><hostname>r1</hostname></config>
	// true
}

func ExampleMemory() {
	ctx := context.Background()
	var b storage.Backend = storage.NewMemory()
	err := b.Save(ctx, "running", func(w io.Writer) error {
		return errors.New("encoding failed")
	})
	fmt.Println(err)
	_, err = b.Load(ctx, "running")
	fmt.Println(errors.Is(err, storage.ErrNotExist))
	// Output:
	// encoding failed
	// true
}

func ExampleDir_Append() {
	stateDir, err := os.MkdirTemp("", "ncsoap-state")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(stateDir)

	ctx := context.Background()
	d, err := storage.OpenDir(stateDir)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	// Small changes go to a journal beside the full value: each record is
	// durable when Append returns nil, at the cost of one write and one
	// fdatasync.
	for _, change := range []string{"hostname=r1", "mtu=9000"} {
		if err := d.Append(ctx, "running.journal", []byte(change)); err != nil {
			log.Fatal(err)
		}
	}

	// On start, replay the journal over the value. A record torn by a crash
	// during its Append is dropped and cut off; other damage is an error.
	err = d.Replay(ctx, "running.journal", func(record []byte) error {
		fmt.Printf("%s\n", record) // copy record to keep it
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	// To compact, Save the whole value first, then start a new journal.
	err = d.Save(ctx, "running", func(w io.Writer) error {
		_, err := io.WriteString(w, "<config><hostname>r1</hostname><mtu>9000</mtu></config>")
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.Delete(ctx, "running.journal"); err != nil {
		log.Fatal(err)
	}
	err = d.Replay(ctx, "running.journal", func([]byte) error { return nil })
	fmt.Println(errors.Is(err, storage.ErrNotExist))
	// Output:
	// hostname=r1
	// mtu=9000
	// true
}

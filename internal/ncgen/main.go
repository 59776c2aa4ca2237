// Command ncgen generates package gen from the NETCONF-over-SOAP WSDL.
//
// It runs gowsdl as a library on the WSDL (which pulls in the schemas of
// xsd/ through xs:import), keeps the header, types and client operations
// gowsdl produces (never its server), repairs them with the fixes described
// in fix.go, formats the result and writes one file. It fails when gowsdl
// reports a problem or produces an empty section, since gowsdl itself only
// logs such errors.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	gowsdl "github.com/hooklift/gowsdl"
)

//go:generate go run . -wsdl ../../wsdl/netconf-soap.wsdl -pkg gen -o ../../gen/netconf.go

func main() {
	wsdl := flag.String("wsdl", "", "WSDL file to generate from")
	pkg := flag.String("pkg", "gen", "package name of the output")
	out := flag.String("o", "", "output Go file")
	flag.Parse()
	if *wsdl == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	src, err := generate(*wsdl, *pkg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ncgen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "ncgen:", err)
		os.Exit(1)
	}
}

// generate returns the fixed, formatted Go source for the WSDL at path.
func generate(path, pkg string) ([]byte, error) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	log.SetFlags(0)
	g, err := gowsdl.NewGoWSDL(path, pkg, false, true)
	if err != nil {
		return nil, err
	}
	sections, err := g.Start()
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, "Reading file") {
			return nil, fmt.Errorf("gowsdl: %s", line)
		}
	}
	var src bytes.Buffer
	for _, name := range []string{"header", "types", "operations"} {
		code := bytes.TrimSpace(sections[name])
		if len(code) == 0 {
			return nil, fmt.Errorf("gowsdl produced no %s", name)
		}
		src.Write(code)
		src.WriteString("\n\n")
	}
	return fix(src.Bytes(), path)
}

module github.com/ncsoap/ncsoap

go 1.26.0

require (
	github.com/antchfx/xpath v1.3.9 // indirect
	github.com/beevik/etree v1.8.1 // indirect
	github.com/gabriel-vasile/mimetype v1.4.16 // indirect
	github.com/go-playground/locales v0.14.2 // indirect
	github.com/go-playground/universal-translator v0.18.2 // indirect
	github.com/go-playground/validator/v10 v10.30.6 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/hooklift/gowsdl v0.5.1-0.20240801015259-2a06cec86c50 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	github.com/openconfig/goyang v1.6.3 // indirect
	github.com/pborman/getopt v1.1.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

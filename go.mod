module github.com/ncsoap/ncsoap

go 1.26.0

require (
	github.com/antchfx/xpath v1.3.9
	github.com/beevik/etree v1.8.1
	github.com/hooklift/gowsdl v0.5.1-0.20240801015259-2a06cec86c50
	github.com/openconfig/goyang v1.6.3
	github.com/stretchr/testify v1.12.1
	golang.org/x/crypto v0.58.0
	golang.org/x/term v0.47.0
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

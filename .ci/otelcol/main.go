// Command otelcol-tracewire is a small OpenTelemetry Collector distribution for Tracewire's
// end-to-end tests: the OTLP receiver, the OTLP, file and debug exporters and the health_check
// extension, all at collector release v0.161.0 (stable core modules v1.67.0). Configuration comes
// from files (--config=FILE) and environment variables (${env:NAME}); nothing is fetched.
// .ci/otelcol-build.sh builds it and .ci/otelcol-lib.sh runs it.
package main

import (
	"os"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/otelcol"
)

func main() {
	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{
			Command:     "otelcol-tracewire",
			Description: "OpenTelemetry Collector for Tracewire's end-to-end tests",
			Version:     "0.161.0-tracewire",
		},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{
					envprovider.NewFactory(),
					fileprovider.NewFactory(),
				},
			},
		},
	}
	// cobra already prints the error; exit non-zero without printing it twice.
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		os.Exit(1)
	}
}

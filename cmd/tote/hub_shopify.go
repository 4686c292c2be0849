package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/shopify"
)

// hubShopify makes the Shopify connector when the hub's file has a
// [shopify] table (nil, nil without one), with its secrets read from
// their files or environment variables.
func hubShopify(f hubDBFlags, hs *hubDB, log *slog.Logger) (*shopify.Connector, error) {
	if *f.config == "" {
		return nil, nil
	}
	c, err := config.LoadHub(*f.config)
	if err != nil || c.Shopify == nil {
		return nil, err
	}
	s := c.Shopify
	token, err := secret("access_token", s.AccessTokenFile, s.AccessTokenEnv)
	if err != nil {
		return nil, err
	}
	key, err := secret("callback_secret", s.CallbackSecretFile, s.CallbackSecretEnv)
	if err != nil {
		return nil, err
	}
	cfg := shopify.Config{Shop: s.Shop, APIVersion: s.APIVersion, Token: token, LocationID: s.LocationID, CallbackSecret: key,
		Endpoint: s.Endpoint, Poll: s.Poll, NotifyCustomer: s.NotifyCustomer, StationTracking: s.StationTracking,
		Carriers: map[string]shopify.Carrier{}}
	for name, car := range s.Carriers {
		cfg.Carriers[name] = shopify.Carrier{Company: car.Company, TrackingURL: car.TrackingURL}
	}
	return shopify.New(cfg, hs.port, hs.Service, shopify.Options{Log: log})
}

// secret reads a secret from its file or environment variable.
func secret(name, file, env string) (string, error) {
	if env != "" {
		v := strings.TrimSpace(os.Getenv(env))
		if v == "" {
			return "", fmt.Errorf("[shopify] %s_env: the environment variable %s is empty or not set", name, env)
		}
		return v, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("[shopify] %s_file: %v", name, err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", fmt.Errorf("[shopify] %s_file: %s is empty", name, file)
	}
	return v, nil
}

// shopifyCallbacks are the connector's routes on the hub (none without it).
func shopifyCallbacks(c *shopify.Connector) map[string]http.Handler {
	if c == nil {
		return nil
	}
	return map[string]http.Handler{"POST " + shopify.CallbackPath: c.Callback()}
}

// runHubShopify shows the Shopify connector's state on the hub's database:
// the last fact it handled and each fulfillment order it answered.
func runHubShopify(args []string, s stdio) int {
	if len(args) == 0 || args[0] != "status" {
		fmt.Fprintln(s.err, "tote hub shopify: say status\nusage: tote hub shopify status --db FILE")
		return 2
	}
	fs := newFlags("hub shopify", "hub shopify status --db FILE",
		"Show what the Shopify connector did (docs/oms.md): the last fact it handled and each\n"+
			"fulfillment order it answered, with its hub order and, when rejected, why.", s)
	dbf := addHubDBFlags(fs)
	if code, ok := parseFlags(fs, args[1:], s); !ok {
		return code
	}
	ctx := context.Background()
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub shopify: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	cursor, links, err := shopify.Status(ctx, hs.port)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub shopify status: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.out, "facts handled up to %d\n", cursor)
	for _, l := range links {
		fmt.Fprintf(s.out, "%s\t%s\t%s\t%s\n", l.FulfillmentOrder, orDash(l.Order), l.State, floor.Printable(l.Why))
	}
	return 0
}

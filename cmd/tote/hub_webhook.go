package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

const webhookUsage = "hub webhook (add --url URL [--id ID] [--kinds K,K] | list | rotate --id ID [--overlap 24h] |\n" +
	"                 deliveries --id ID [--status dead] | replay --id ID [--delivery DID]) --db FILE"

// runHubWebhook administers the endpoints facts are posted to, on the
// hub's database (a running hub sees the change within a second).
func runHubWebhook(args []string, s stdio) int {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags("hub webhook", webhookUsage,
		"Configure the endpoints the hub posts its facts to (docs/oms.md): add one (its signing secret\n"+
			"is printed once), list them with their pending and dead deliveries, rotate a secret (the old\n"+
			"one still signs during the overlap), list deliveries, and replay dead ones.", s)
	dbf := addHubDBFlags(fs)
	id := fs.String("id", "", "the endpoint's id")
	url := fs.String("url", "", "add: the endpoint's https:// address")
	kinds := fs.String("kinds", "", "add: the fact kinds it takes, comma-separated (default: all)")
	overlap := fs.Duration("overlap", hub.DefaultOverlap, "rotate: how long the old secret still signs")
	status := fs.String("status", "", "deliveries: pending, delivered or dead (default: all)")
	delivery := fs.String("delivery", "", "replay: one delivery id (default: every dead one)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	switch sub {
	case "add", "list", "rotate", "deliveries", "replay":
	default:
		fmt.Fprintf(s.err, "tote hub webhook: say add, list, rotate, deliveries or replay\nusage: tote %s\n", webhookUsage)
		return 2
	}
	if sub != "add" && sub != "list" && *id == "" {
		fmt.Fprintf(s.err, "tote hub webhook %s: give --id (tote hub webhook list shows them)\n", sub)
		return 2
	}
	ctx := context.Background()
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub webhook: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	now := time.Now()
	fail := func(err error) int {
		fmt.Fprintf(s.err, "tote hub webhook %s: %v\n", sub, err)
		return 1
	}
	switch sub {
	case "add":
		nw := protocol.NewWebhook{ID: *id, URL: *url}
		if *kinds != "" {
			for _, k := range strings.Split(*kinds, ",") {
				nw.Kinds = append(nw.Kinds, strings.TrimSpace(k))
			}
		}
		info, err := hs.AddWebhook(ctx, nw, now)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(s.out, "webhook %s posts to %s\nits signing secret is\n  %s\nkeep it safe: give it to the receiver; it is not shown again (rotate makes a new one)\n", info.ID, info.URL, info.Secret)
	case "list":
		ws, err := hs.Webhooks(ctx)
		if err != nil {
			return fail(err)
		}
		for _, w := range ws {
			k := "all facts"
			if len(w.Kinds) > 0 {
				k = strings.Join(w.Kinds, ",")
			}
			fmt.Fprintf(s.out, "%s\t%s\t%s\tpending %d\tdead %d\n", w.ID, w.URL, k, w.Pending, w.Dead)
		}
	case "rotate":
		info, err := hs.RotateWebhook(ctx, *id, *overlap, now)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(s.out, "webhook %s's new signing secret is\n  %s\nthe old one still signs until %s\n", info.ID, info.Secret, info.PrevUntil.Format(time.RFC3339))
	case "deliveries":
		ds, err := hs.WebhookDeliveries(ctx, *id, *status, 0, hub.MaxFactsPage)
		if err != nil {
			return fail(err)
		}
		for _, d := range ds {
			fmt.Fprintf(s.out, "%s\tfact %d\t%s #%d\t%s\t%s\tattempts %d\t%s\n", d.ID, d.Fact, d.Order, d.Seq, d.Kind, d.Status, d.Attempts, d.LastError)
		}
	case "replay":
		n, err := hs.ReplayDeliveries(ctx, *id, *delivery, now)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(s.out, "webhook %s: %d deliveries queued again\n", *id, n)
	}
	return 0
}

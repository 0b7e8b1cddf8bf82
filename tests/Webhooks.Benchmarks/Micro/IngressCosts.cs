using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Benchmarks.Payloads;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;

namespace Webhooks.Benchmarks.Micro;

/// <summary>
/// What the CPU-bound steps of one delivery cost on the benchmark's own bodies, next to the HMAC check the ceiling
/// does (the denominator): a quick way to see which step is worth working on, without the stack. Each step runs in
/// rounds interleaved with the others, so a noisy neighbour slows them all alike; the median round counts.
/// </summary>
public static class IngressCosts
{
    private const int Rounds = 5;
    private static readonly TimeSpan RoundLength = TimeSpan.FromMilliseconds(400);

    public static IReadOnlyList<string> Run()
    {
        var bodies = new PushBodies("micro", 2, "benchmark-secret", new Uri("http://localhost/c"), new Uri("http://localhost/d"));
        var lines = new List<string>
        {
            "| body | step | µs per delivery | vs HMAC | stored bytes |",
            "| --- | --- | --- | --- | --- |",
        };
        foreach (var (repository, name, eventKey, product) in new[]
        {
            (0, "Cloud repo:push", "repo:push", BitbucketProduct.Cloud),
            (1, "Data Center repo:refs_changed", "repo:refs_changed", BitbucketProduct.DataCenter),
        })
        {
            var body = bodies.Push(repository, PushBodies.NewHead()).Body;
            var key = Encoding.UTF8.GetBytes("benchmark-secret");
            var steps = new (string Name, Func<int> Step)[]
            {
                ("HMAC-SHA256 (the ceiling's work)", () => HMACSHA256.HashData(key, body).Length),
                ("SHA-256 of the body", () => SHA256.HashData(body).Length),
                ("parse the event", () => BitbucketEventParser.Parse(body, eventKey, product, null).Succeeded ? 1 : 0),
                ("Brotli, quality 4 (before)", () => DeliveryContent.Compress(body, quality: 4).Length),
                ($"Brotli, quality {DeliveryContent.StoredQuality} (stored now)", () => DeliveryContent.Compress(body).Length),
            };
            var medians = Measure(steps);
            for (var i = 0; i < steps.Length; i++)
            {
                var stored = steps[i].Name.StartsWith("Brotli", StringComparison.Ordinal) ? steps[i].Step().ToString(CultureInfo.InvariantCulture) : "";
                lines.Add(FormattableString.Invariant(
                    $"| {name} ({body.Length / 1024.0:F1} KB) | {steps[i].Name} | {medians[i]:F1} | {medians[i] / medians[0]:F1}× | {stored} |"));
            }
        }

        return lines;
    }

    private static double[] Measure((string Name, Func<int> Step)[] steps)
    {
        // Warm-up long enough for the tiered JIT to have optimised every step.
        foreach (var (_, step) in steps)
        {
            for (var i = 0; i < 2_000; i++)
            {
                step();
            }
        }

        var samples = steps.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var s = 0; s < steps.Length; s++)
            {
                var count = 0;
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < RoundLength)
                {
                    steps[s].Step();
                    count++;
                }

                samples[s].Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / count);
            }
        }

        return [.. samples.Select(s => s.Order().ElementAt(s.Count / 2))];
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using Webhooks.ServiceDefaults.Tracing;

namespace Webhooks.UnitTests.Tracing;

public sealed class TraceSamplingTests
{
    [Fact]
    public void UnderABurstAtMostOneSecondsWorthOfNewTracesIsKept()
    {
        var sampler = new RateLimitedSampler(20);
        var clock = Stopwatch.StartNew();

        var kept = Enumerable.Range(0, 1_000).Count(_ => IsSampled(sampler.ShouldSample(NewRoot())));

        // The bucket refills at 20 a second while the loop runs (about a millisecond, longer on a busy machine).
        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds * 20) + 2;
        Assert.InRange(kept, 20, 20 + refilled);
    }

    [Fact]
    public void AfterABurstNewTracesAreKeptAgain()
    {
        var sampler = new RateLimitedSampler(20);
        while (IsSampled(sampler.ShouldSample(NewRoot())))
        {
        }

        Assert.True(
            SpinWait.SpinUntil(() => IsSampled(sampler.ShouldSample(NewRoot())), TimeSpan.FromSeconds(10)),
            "no trace was kept again within 10 s of the bucket running dry");
    }

    [Fact]
    public void ZeroKeepsNoTrace()
    {
        var sampler = new RateLimitedSampler(0);

        Assert.DoesNotContain(Enumerable.Range(0, 10), _ => IsSampled(sampler.ShouldSample(NewRoot())));
    }

    [Fact]
    public void ASpanFollowsItsParentsDecision()
    {
        var sampler = TraceSampling.FromConfiguration(Configuration(("Webhooks:Telemetry:TracesPerSecond", "0")));
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var droppedParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

        Assert.True(IsSampled(sampler.ShouldSample(Child(sampledParent))));
        Assert.False(IsSampled(sampler.ShouldSample(Child(droppedParent))));
        Assert.False(IsSampled(sampler.ShouldSample(NewRoot())));
    }

    [Fact]
    public void ANegativeRateKeepsEveryTrace()
    {
        var sampler = TraceSampling.FromConfiguration(Configuration(("Webhooks:Telemetry:TracesPerSecond", "-1")));

        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.True(IsSampled(sampler.ShouldSample(NewRoot()))));
    }

    [Fact]
    public void TheStandardSamplerVariableWinsOverOurDefault()
    {
        Assert.True(TraceSampling.IsConfiguredByEnvironment(Configuration(("OTEL_TRACES_SAMPLER", "always_on"))));
        Assert.False(TraceSampling.IsConfiguredByEnvironment(Configuration()));
    }

    private static bool IsSampled(SamplingResult result) => result.Decision == SamplingDecision.RecordAndSample;

    private static SamplingParameters NewRoot() =>
        new(default, ActivityTraceId.CreateRandom(), "POST /webhooks/{token}", ActivityKind.Server);

    private static SamplingParameters Child(ActivityContext parent) =>
        new(parent, parent.TraceId, "grain call", ActivityKind.Internal);

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(value => new KeyValuePair<string, string?>(value.Key, value.Value)))
            .Build();
}

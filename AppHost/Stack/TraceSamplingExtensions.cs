namespace Webhooks.AppHost.Stack;

internal static class TraceSamplingExtensions
{
    /// <summary>
    /// Leaves the choice of traces to the service (<c>Webhooks:Telemetry:TracesPerSecond</c>, 20 a second by default):
    /// Aspire sets <c>OTEL_TRACES_SAMPLER=always_on</c> for every project it runs, and recording every span of every
    /// delivery cost about 15 % of the receiver's CPU per delivery under load (docs/benchmarks.md). A user's own
    /// <c>OTEL_TRACES_SAMPLER</c> in the AppHost's environment is kept.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceTraceSampling(this IResourceBuilder<ProjectResource> project) =>
        project.WithEnvironment(context =>
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_TRACES_SAMPLER")))
            {
                context.EnvironmentVariables.Remove("OTEL_TRACES_SAMPLER");
            }
        });
}

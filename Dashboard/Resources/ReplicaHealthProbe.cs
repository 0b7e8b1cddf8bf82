using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Webhooks.Dashboard.Resources;

/// <summary>Asks a replica for its <c>/health</c> with a short timeout.</summary>
public sealed class ReplicaHealthProbe(IOptionsMonitor<ResourcesOptions> options) : IDisposable
{
    // Its own client rather than one from IHttpClientFactory: the service defaults put a retrying resilience
    // handler on every factory client, and a probe must answer "is it up right now" with a single short attempt.
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<(ResourceState State, string? Description, TimeSpan? Duration)> ProbeAsync(
        ResourceEndpoint endpoint, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CurrentValue.ProbeTimeout);
        try
        {
            using var response = await _client.GetAsync(
                $"{endpoint.Address}{Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath}",
                HttpCompletionOption.ResponseContentRead,
                timeout.Token);
            var body = (await response.Content.ReadAsStringAsync(timeout.Token)).Trim();
            var duration = Stopwatch.GetElapsedTime(started);

            // The default health endpoint answers 200 "Healthy" / 200 "Degraded" / 503 "Unhealthy".
            return body switch
            {
                "Healthy" when response.IsSuccessStatusCode => (ResourceState.Healthy, null, duration),
                "Degraded" when response.IsSuccessStatusCode => (ResourceState.Degraded, "A dependency is degraded: see the replica's log", duration),
                "Unhealthy" => (ResourceState.Unhealthy, "Its readiness checks fail: see the replica's log", duration),
                _ => (ResourceState.Unhealthy, $"/health answered {(int)response.StatusCode} {response.ReasonPhrase}", duration),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (ResourceState.Unreachable,
                $"No answer from /health within {options.CurrentValue.ProbeTimeout.TotalSeconds:0.#} s",
                Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            return (ResourceState.Unreachable, e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "Connection refused: is the process running?",
                HttpRequestError.NameResolutionError => "The host name does not resolve",
                _ => "The request to /health failed",
            }, Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _client.Dispose();
}

using System.Collections.Concurrent;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>One exchange a <see cref="RecordingHandler"/> saw.</summary>
public sealed record RecordedExchange(HttpMethod Method, string PathAndQuery, int Status, string Body);

/// <summary>Keeps every answer a client received (status and body), to check afterwards what was ever sent back.</summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<RecordedExchange> _exchanges = new();

    public IReadOnlyCollection<RecordedExchange> Exchanges => _exchanges;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        _exchanges.Enqueue(new RecordedExchange(
            request.Method, request.RequestUri!.PathAndQuery, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)));
        return response;
    }
}

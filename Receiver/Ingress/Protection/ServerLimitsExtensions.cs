using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Ingress.Protection;

internal static class ServerLimitsExtensions
{
    /// <summary>
    /// Applies <see cref="ServerLimitsOptions"/> and the ingress body limit to Kestrel. The server-wide
    /// <c>MaxRequestBodySize</c> is <c>Webhooks:Ingress:MaxBodyBytes</c>, so no endpoint takes a larger body; ingress lifts
    /// it for its own requests and answers its own 413 problem (see <see cref="RequestBody"/>).
    /// </summary>
    public static void AddServerLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerLimitsOptions>()
            .BindConfiguration(ServerLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerLimitsOptions>, IOptions<IngressOptions>>((kestrel, server, ingress) =>
            {
                // Reading .Value validates: a bad setting stops the start with the key's name, before Kestrel binds.
                var settings = server.Value;
                var limits = kestrel.Limits;
                limits.MaxRequestBodySize = ingress.Value.MaxBodyBytes;
                limits.MaxRequestHeaderCount = settings.MaxRequestHeaderCount;
                limits.MaxRequestHeadersTotalSize = settings.MaxRequestHeadersTotalSize;
                limits.MaxRequestLineSize = settings.MaxRequestLineSize;
                limits.RequestHeadersTimeout = settings.RequestHeadersTimeout;
                limits.MinRequestBodyDataRate = new MinDataRate(settings.MinRequestBodyDataRate, settings.MinRequestBodyDataRateGracePeriod);
                limits.KeepAliveTimeout = settings.KeepAliveTimeout;
                limits.MaxConcurrentConnections = settings.MaxConcurrentConnections;
            });
    }
}

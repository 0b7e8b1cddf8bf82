using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Webhooks.Grains.Notifications;

public static class NotificationExtensions
{
    /// <summary>The named HttpClient the notifier posts with.</summary>
    public const string HttpClientName = "Webhooks.FreightNotifications";

    /// <summary>
    /// Downstream Freight notifications: <see cref="IFreightNotifier"/> (<see cref="HttpFreightNotifier"/>),
    /// <see cref="NotificationOptions"/> bound to <c>Webhooks:Notifications</c> and validated on start, the
    /// <see cref="NotificationPipeline"/> resilience pipeline and the named HttpClient <see cref="HttpClientName"/>.
    /// </summary>
    /// <remarks>
    /// <c>AddServiceDefaults</c> puts the standard resilience handler (retry, circuit breaker, timeouts) on every
    /// HttpClient. Under the notifier's own retries it would multiply attempts (6 × 4), hide them from
    /// <c>onAttempt</c>, and share one circuit breaker between unrelated targets, so it is removed from this client.
    /// <c>RemoveAllResilienceHandlers()</c> does exactly that but is <c>[Experimental]</c> (EXTEXP0001) in
    /// Microsoft.Extensions.Http.Resilience 10.11; the same removal is done here with the stable
    /// <c>ConfigureAdditionalHttpMessageHandlers</c>, which runs after the defaults have added their handlers.
    /// </remarks>
    public static IHostApplicationBuilder AddFreightNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(HttpClientName)
            // Each attempt is bounded by the pipeline's timeout; HttpClient's own 100 s would only confuse that.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // A redirected POST turns into a GET: a target that redirects is misconfigured, and that shows as a failure.
            .ConfigurePrimaryHttpMessageHandler(static services => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = services.GetRequiredService<IOptions<NotificationOptions>>().Value.BlockPrivateNetworks
                    ? PrivateNetworkGuard.ConnectAsync
                    : null,
            })
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) =>
            {
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (handlers[i] is ResilienceHandler)
                        handlers.RemoveAt(i);
                }
            });

        services.AddResiliencePipeline<string, HttpResponseMessage>(NotificationPipeline.Key, static (pipeline, context) =>
            NotificationPipeline.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>(),
                context.ServiceProvider.GetRequiredService<IOptions<Polly.Telemetry.TelemetryOptions>>().Value));

        services.AddMetrics();
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<IFreightNotifier, HttpFreightNotifier>();
        return builder;
    }

    /// <summary>
    /// The notification outbox: <see cref="OutboxOptions"/>, the <see cref="NotificationSignal"/> refreshes raise when
    /// they add Freight, and the <see cref="NotificationDispatcher"/> (a hosted service of the silo's host) that posts
    /// due entries through the notifier (<see cref="AddFreightNotifications"/>) and records each attempt.
    /// </summary>
    public static IHostApplicationBuilder AddNotificationOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<NotificationSignal>();
        builder.Services.AddHostedService<NotificationDispatcher>();
        return builder;
    }
}

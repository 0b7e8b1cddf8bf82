using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.ServiceDefaults.Redaction;

public static class RedactionExtensions
{
    /// <summary>
    /// Every log line is redacted at the source (<see cref="CredentialRedactor"/>), for every provider and level: the
    /// logger factory itself is wrapped, so providers added later (OpenTelemetry's, a test's) are covered too. Spans are
    /// redacted by <see cref="RedactingActivityProcessor"/>, which the OpenTelemetry setup adds.
    /// </summary>
    public static TBuilder AddCredentialRedaction<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(services => new RedactingLoggerFactory(new LoggerFactory(
            services.GetServices<ILoggerProvider>(),
            services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            services.GetService<IOptions<LoggerFactoryOptions>>(),
            services.GetService<IExternalScopeProvider>()))));
        return builder;
    }
}

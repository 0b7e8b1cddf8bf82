using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Webhooks.IntegrationTests.Infrastructure;

public static class TestConsole
{
    /// <summary>
    /// Keeps an in-process service's own log lines off the test run's console; the tests' captures still get every line.
    /// Shutdown noise of Orleans and Redis printed there made a green run look red.
    /// </summary>
    public static ILoggingBuilder KeepOffTestConsole(this ILoggingBuilder logging) =>
        logging.AddFilter<ConsoleLoggerProvider>(_ => false);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// What the service exports through OpenTelemetry, as an OTLP collector (and the Aspire dashboard) would receive it:
/// finished spans through the in-memory exporter, log records as text (records are pooled, so they are read when
/// exported rather than kept).
/// </summary>
public sealed class CapturedTelemetry
{
    private readonly List<Activity> _spans = [];
    private readonly ConcurrentQueue<string> _logRecords = new();

    /// <summary>Makes the service export (to an address nobody listens on) and adds the in-memory exporters.</summary>
    public void Register(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new LogRecordText(_logRecords)));
    }

    public int SpanCount
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public IReadOnlyCollection<string> LogRecords => _logRecords;

    /// <summary>Each span as text: name, status, every attribute, every event and its attributes.</summary>
    public IReadOnlyList<string> Spans()
    {
        lock (_spans)
        {
            return [.. _spans.Select(span => string.Join(" ",
                new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
                    .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))))];
        }
    }

    private sealed class LogRecordText(ConcurrentQueue<string> records) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var scopes = new List<string>();
            data.ForEachScope((scope, list) =>
            {
                list.Add($"{scope.Scope}");
                foreach (var (key, value) in scope)
                {
                    list.Add($"{key}={value}");
                }
            }, scopes);
            records.Enqueue(string.Join(" ",
                data.CategoryName, data.FormattedMessage, data.Body,
                string.Join(" ", (data.Attributes ?? []).Select(p => $"{p.Key}={p.Value}")),
                string.Join(" ", scopes), data.Exception?.ToString()));
        }
    }
}

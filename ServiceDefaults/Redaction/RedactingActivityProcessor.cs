using System.Diagnostics;
using OpenTelemetry;

namespace Webhooks.ServiceDefaults.Redaction;

/// <summary>
/// Removes credentials from every finished span before it is exported: its name, its status description and each
/// string attribute (<c>url.full</c>, <c>url.path</c>, <c>url.query</c>, <c>http.target</c>, … whoever set them:
/// ASP.NET Core's and HttpClient's instrumentation included). Added before the exporters, so they see the result.
/// </summary>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (CredentialRedactor.TryRedact(data.DisplayName, out var name))
        {
            data.DisplayName = name;
        }

        if (CredentialRedactor.TryRedact(data.StatusDescription, out var status))
        {
            data.SetStatus(data.Status, status);
        }

        List<KeyValuePair<string, string>>? redactedTags = null;
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (tag.Value is string value && CredentialRedactor.TryRedact(value, out var redacted))
            {
                (redactedTags ??= []).Add(new(tag.Key, redacted));
            }
        }

        foreach (var (key, value) in redactedTags ?? [])
        {
            data.SetTag(key, value);
        }
    }
}

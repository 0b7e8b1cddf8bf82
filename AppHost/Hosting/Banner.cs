using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Secrets;

namespace Webhooks.AppHost.Hosting;

/// <summary>What a developer needs once the stack is up: where to click, where Bitbucket posts, the token, how to stop.</summary>
internal static class Banner
{
    public static string Render(DistributedApplication app)
    {
        var rows = new List<(string Label, string Value)>();
        // Dependents first: the dashboard is where a developer starts.
        foreach (var project in app.StartOrder.OfType<ProjectResource>().Reverse())
        {
            rows.AddRange(project.DisplayUrls.Select(u => (u.Text, u.Url(project.GetEndpoint(0)))));
            if (project.Replicas > 1)
            {
                rows.Add(($"{project.Name} replicas", string.Join("  ", Enumerable.Range(0, project.Replicas).Select(i => project.GetEndpoint(i).ToString()))));
            }
        }

        rows.AddRange(app.Resources.OfType<AdminTokenResource>().Select(t => ("Admin token", t.Value)));
        rows.Add(("Data directory", app.DataDirectory));
        rows.Add(("Stop", "Ctrl+C (stops everything, in order)"));

        var width = rows.Max(r => r.Label.Length) + 2;
        var rule = new string('─', 72);
        var lines = new List<string> { rule, "  Webhooks is running" };
        lines.AddRange(rows.Select(r => $"  {r.Label.PadRight(width)}{r.Value}"));
        lines.Add(rule);
        return string.Join(Environment.NewLine, lines);
    }
}

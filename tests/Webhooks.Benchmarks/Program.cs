using Webhooks.Benchmarks;
using Webhooks.Benchmarks.Reporting;

// dotnet run -c Release --project tests/Webhooks.Benchmarks [-- --duration 30s --connections 64 --repositories 1000]
if (args is ["--ingress-costs"])
{
    // The CPU-bound steps of one delivery against the ceiling's HMAC, without the stack (seconds).
    foreach (var line in Webhooks.Benchmarks.Micro.IngressCosts.Run())
    {
        Console.WriteLine(line);
    }

    return 0;
}

var options = BenchmarkOptions.Parse(args);
options.OutputDirectory ??= Path.Combine(RepositoryRoot(), "docs");
var report = await BenchmarkRun.RunAsync(options, line => Console.WriteLine(line));
await ReportWriter.WriteAsync(report, options.OutputDirectory);
Console.WriteLine(ReportWriter.Markdown(report));
Console.WriteLine($"written: {Path.Combine(options.OutputDirectory, "benchmarks.md")} and benchmarks.json");
return report.AccountingPassed ? 0 : 1;

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
        {
            return directory.FullName;
        }
    }

    return Environment.CurrentDirectory;
}

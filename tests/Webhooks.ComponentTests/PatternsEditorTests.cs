using Bunit;
using Webhooks.Dashboard.SmartCommits;
using Webhooks.Grains.SmartCommits;

namespace Webhooks.ComponentTests;

public sealed class PatternsEditorTests : FluentContext
{
    [Fact]
    public void EachRefusedPatternShowsTheValidatorsReasonBesideIt()
    {
        List<string> patterns = [@"\[(project\d+)\]", @"([A-Z]+-\d+", @"(\w+)-(\d+)"];
        var errors = SmartCommitCatalog.ValidatePatterns(patterns);

        var editor = Render<PatternsEditor>(parameters => parameters
            .Add(p => p.Patterns, patterns)
            .Add(p => p.Errors, errors));

        var rows = editor.FindAll("[data-testid=pattern]");
        Assert.Equal(3, rows.Count);
        Assert.Null(rows[0].QuerySelector("[data-testid=field-error]"));
        Assert.Contains("does not compile", rows[1].QuerySelector("[data-field='patterns[1]']")!.TextContent);
        Assert.Contains("exactly one capture group", rows[2].QuerySelector("[data-field='patterns[2]']")!.TextContent);
    }

    [Fact]
    public void WithoutPatternsOfItsOwnTheProjectIsToldTheDefaultFindsJiraKeys()
    {
        List<string> patterns = [];
        var editor = Render<PatternsEditor>(parameters => parameters.Add(p => p.Patterns, patterns));

        Assert.Contains("ABC-123", editor.Find("[data-testid=default-pattern-in-use]").TextContent);

        editor.Find("[data-testid=add-pattern]").Click();
        Assert.Equal([""], patterns);
        Assert.Empty(editor.FindAll("[data-testid=default-pattern-in-use]"));
    }
}

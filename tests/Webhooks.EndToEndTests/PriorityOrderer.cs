using Xunit.Abstractions;
using Xunit.Sdk;

namespace Webhooks.EndToEndTests;

public sealed class PriorityOrderer : ITestCaseOrderer
{
    public const string TypeName = "Webhooks.EndToEndTests.PriorityOrderer";
    public const string AssemblyName = "Webhooks.EndToEndTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => Priority(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int Priority(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(PriorityAttribute).AssemblyQualifiedName).FirstOrDefault()?.GetConstructorArguments().FirstOrDefault() as int? ?? 0;
}

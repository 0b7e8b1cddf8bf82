// The shared stack and the AppHost that AspireDashboardTests starts with `dotnet run` are whole stacks each: one class at
// a time, not side by side on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

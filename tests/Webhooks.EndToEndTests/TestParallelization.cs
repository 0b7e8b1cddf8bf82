// Each class starts real processes (postgres, services): one class at a time, not side by side on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// One fault at a time against one stack: faults side by side would blur what each one did.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace LogQueue.Engine.Tests.Support;

/// <summary>
/// Tests that measure the whole process (open descriptors) run in this collection, alone: xunit runs a
/// collection with parallelization disabled after the parallel ones, so other tests' files do not count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "Process-wide measurements";
}

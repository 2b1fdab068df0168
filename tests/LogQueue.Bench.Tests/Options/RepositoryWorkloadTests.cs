using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Tests.Infrastructure;

namespace LogQueue.Bench.Tests.Options;

/// <summary>The workload files shipped in bench/workloads: each must parse as the load command would read it.</summary>
public class RepositoryWorkloadTests
{
    private static readonly string WorkloadFolder = Path.Combine(RepositoryRoot.Path, "bench", "workloads");

    [Fact]
    public void Every_shipped_workload_file_parses()
    {
        string[] files = Directory.Exists(WorkloadFolder) ? Directory.GetFiles(WorkloadFolder, "*.json") : [];

        // None yet is fine: the folder is new; each file that is there must be valid.
        foreach (string file in files)
        {
            var own = new LoadOptions();
            WorkloadFile.Apply(file, own);
            bool namesItsTarget = own.Server is not null || own.Embedded is not null;
            string[] args = namesItsTarget ? ["--workload", file] : ["--workload", file, "--server", "127.0.0.1:1"];

            LoadOptions options;
            try
            {
                options = LoadCommandLine.Parse(args, out _);
            }
            catch (LoadOptionsException e)
            {
                Assert.Fail($"{Path.GetFileName(file)}: {e.Message}");
                throw;
            }

            Assert.True(options.Size.Max <= MessageSizeRange.Largest, Path.GetFileName(file));
        }
    }
}

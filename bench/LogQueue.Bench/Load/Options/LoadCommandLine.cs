using System.CommandLine;

namespace LogQueue.Bench.Load.Options;

/// <summary>
/// Parses <c>load [options]</c>: a workload file first (<c>--workload</c>), then every option given on the command
/// line on top of it, then <see cref="LoadOptions.Validate"/>.
/// </summary>
public static class LoadCommandLine
{
    /// <summary>The options for <paramref name="args"/> (the arguments after <c>load</c>), or the help text when asked.</summary>
    /// <exception cref="LoadOptionsException">A malformed, unknown, out-of-range or inconsistent option.</exception>
    public static LoadOptions Parse(IReadOnlyList<string> args, out string? help)
    {
        ArgumentNullException.ThrowIfNull(args);
        var workload = new Option<string?>("--workload") { Description = "A JSON file of these options (see bench/workloads/); the command line overrides it.", HelpName = "file" };
        var json = new Option<string?>("--json") { Description = "Write every figure to this file as JSON.", HelpName = "file" };
        var command = new RootCommand("load: drives a LogQueue server (or the embedded engine) with producers and consumers and reports throughput, latency, loss and duplicates.")
        {
            workload,
            json,
        };
        var settings = new List<(LoadSetting Setting, Option Option)>();
        foreach (LoadSetting setting in LoadSetting.All)
        {
            Option option = setting.IsFlag
                ? new Option<bool>("--" + setting.Name) { Description = setting.Description }
                : new Option<string?>("--" + setting.Name) { Description = setting.Description, HelpName = setting.HelpName };
            command.Options.Add(option);
            settings.Add((setting, option));
        }

        ParseResult result = command.Parse(args.ToArray());
        if (result.Action is System.CommandLine.Help.HelpAction)
        {
            using var writer = new StringWriter();
            result.Invoke(new InvocationConfiguration { Output = writer });
            help = writer.ToString();
            return new LoadOptions();
        }

        if (result.Errors.Count > 0)
        {
            throw new LoadOptionsException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        }

        help = null;
        var options = new LoadOptions();
        if (result.GetValue(workload) is { } file)
        {
            WorkloadFile.Apply(file, options);
        }

        foreach ((LoadSetting setting, Option option) in settings)
        {
            if (result.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            string value = option is Option<bool> flag ? result.GetValue(flag).ToString() : result.GetValue((Option<string?>)option) ?? string.Empty;
            setting.Apply(options, value);
        }

        options.JsonFile = result.GetValue(json);
        options.Validate();
        return options;
    }
}

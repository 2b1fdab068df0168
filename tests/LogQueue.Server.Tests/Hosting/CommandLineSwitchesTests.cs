using LogQueue.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace LogQueue.Server.Tests.Hosting;

public sealed class CommandLineSwitchesTests
{
    // Each case is a command line split on spaces.
    [Theory]
    [InlineData("")]
    [InlineData("--data-dir /var/lib/logqueue --bind 0.0.0.0 --http-port 7200")]
    [InlineData("--data-dir=/var/lib/logqueue --HTTP-PORT=0")]
    [InlineData("--data-dir --odd-but-legal-directory-name")]
    [InlineData("--Logging:LogLevel:Default Debug --LogQueue:HttpPort=0 LogQueue:Bind=::")]
    [InlineData("--environment Staging")]
    [InlineData("--port 0 --durability Interval --flush-interval-ms 250")]
    [InlineData("--LogQueue:MaxFrameLength 1048576 --LogQueue:AuthToken=secret")]
    public void Known_flags_and_configuration_keys_are_accepted(string commandLine) =>
        Assert.Null(CommandLineSwitches.FindInvalidArgument(Split(commandLine)));

    [Theory]
    [InlineData("--http-prot 7000", "Unknown option '--http-prot'")]
    [InlineData("--prot=7000", "Unknown option '--prot'")]
    [InlineData("--flush-interval 50", "Unknown option '--flush-interval'")]
    [InlineData("--http-port", "Option '--http-port' needs a value")]
    [InlineData("/var/lib/logqueue", "Unexpected argument '/var/lib/logqueue'")]
    [InlineData("-p 7000", "Unexpected argument '-p'")]
    [InlineData("data", "Unexpected argument 'data'")]
    public void Mistyped_or_stray_arguments_are_reported(string commandLine, string expected)
    {
        string? problem = CommandLineSwitches.FindInvalidArgument(Split(commandLine));

        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_flags_map_onto_the_LogQueue_section()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddCommandLine(["--data-dir", "d", "--bind", "::", "--http-port", "7200"], new Dictionary<string, string>(CommandLineSwitches.Mappings))
            .Build();

        var options = new ServerOptions();
        configuration.GetSection(ServerOptions.SectionName).Bind(options);

        Assert.Equal("d", options.DataDirectory);
        Assert.Equal("::", options.Bind);
        Assert.Equal(7200, options.HttpPort);
    }

    [Fact]
    public void The_protocol_and_durability_flags_map_onto_the_LogQueue_section()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddCommandLine(["--port", "7300", "--durability", "NONE", "--flush-interval-ms", "250"], new Dictionary<string, string>(CommandLineSwitches.Mappings))
            .Build();

        var options = new ServerOptions();
        configuration.GetSection(ServerOptions.SectionName).Bind(options);

        Assert.Equal(7300, options.Port);
        Assert.Equal("NONE", options.Durability);
        Assert.Equal(250, options.FlushIntervalMs);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_recognised(string flag) => Assert.True(CommandLineSwitches.IsHelpRequested(["--http-port", "1", flag]));

    [Fact]
    public void The_usage_text_names_every_flag()
    {
        foreach (string flag in CommandLineSwitches.Mappings.Keys)
        {
            Assert.Contains(flag, CommandLineSwitches.Usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_usage_text_names_every_option_and_every_exit_code()
    {
        foreach (string option in typeof(ServerOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name))
        {
            Assert.Contains($"LogQueue:{option}", CommandLineSwitches.Usage, StringComparison.Ordinal);
        }

        foreach (int code in typeof(ExitCodes).GetFields().Select(f => (int)f.GetValue(null)!))
        {
            Assert.Contains($"{code} ", CommandLineSwitches.Usage, StringComparison.Ordinal);
        }
    }

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

using System.ComponentModel;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
using TagForge.IO;

namespace TagForge.Containers;

/// <summary>
/// Runs one command-line tool (docker, podman, buildah, dotnet) the way every builder does: arguments as an array (no
/// shell), output live line by line (to <see cref="ToolOptions.Output"/> or the logger) with its tail kept for the
/// failure message, secrets only through stdin or the child's environment and masked if a tool echoes them. What a
/// failure means is the caller's <c>failure</c> function: each tool names its own parties (engine, storage, registry).
/// </summary>
internal sealed class ToolProcess
{
    private readonly ToolOptions _options;
    private readonly ILogger _logger;
    private readonly Func<string, int, IReadOnlyList<string>, Exception> _failure;
    private readonly Func<Exception, Exception> _missing;

    public ToolProcess(string executable, ToolOptions options, ILogger logger, Func<string, int, IReadOnlyList<string>, Exception> failure, Func<Exception, Exception> missing)
    {
        Executable = executable;
        _options = options;
        _logger = logger;
        _failure = failure;
        _missing = missing;
    }

    public string Executable { get; }

    private int TailLength => _options.TailLines ?? 20;

    private Command Prepare(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        // Both sets go in one call (CliWrap's WithEnvironmentVariables replaces the set given before), and TagForge's
        // own secret variables are removed from every tool's environment (IO/ChildEnvironment).
        var command = Cli.Wrap(Executable).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        return command.WithEnvironmentVariables(ChildEnvironment.For(Merged(_options.Environment, environment ?? new Dictionary<string, string?>())));
    }

    private static Dictionary<string, string?> Merged(IReadOnlyDictionary<string, string?>? common, IReadOnlyDictionary<string, string?> extra)
    {
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in common ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        foreach (var (name, value) in extra)
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>Runs with live output; throws the tool's failure with the tail; returns every line when <paramref name="keepAll"/>.</summary>
    public async Task<IReadOnlyList<string>> RunStreamingAsync(
        string verb, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyCollection<string>? secrets = null, bool keepAll = false)
    {
        var tail = new Queue<string>();
        var all = new List<string>();
        var gate = new Lock();
        void OnLine(string line)
        {
            line = Mask(line, secrets);
            lock (gate)
            {
                tail.Enqueue(line);
                while (tail.Count > TailLength)
                {
                    tail.Dequeue();
                }

                if (keepAll)
                {
                    all.Add(line);
                }
            }

            if (_options.Output is { } output)
            {
                output(line);
            }
            else
            {
                _logger.LogInformation("{Line}", line);
            }
        }

        _logger.LogDebug("running {Executable} {Arguments}", Executable, string.Join(' ', arguments));
        var command = Prepare(arguments, environment)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(OnLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(OnLine));
        CommandResult result;
        try
        {
            result = await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw _missing(ex);
        }

        lock (gate)
        {
            return result.ExitCode != 0 ? throw _failure(verb, result.ExitCode, [.. tail]) : all;
        }
    }

    /// <summary>Runs with output buffered (for <c>--format</c> answers); <paramref name="standardInput"/> (a password) is masked in failures.</summary>
    public async Task<string> RunQuietAsync(string verb, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null)
    {
        _logger.LogDebug("running {Executable} {Arguments}", Executable, string.Join(' ', arguments));
        var command = Prepare(arguments, null);
        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }

        BufferedCommandResult result;
        try
        {
            result = await command.ExecuteBufferedAsync(Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw _missing(ex);
        }

        if (result.ExitCode != 0)
        {
            var lines = (result.StandardError + "\n" + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (standardInput is { Length: > 0 } secret)
            {
                // Standard input carries secrets (login's password); a tool that echoes it must not leak it into a message.
                lines = [.. lines.Select(line => Mask(line, [secret]))];
            }

            throw _failure(verb, result.ExitCode, lines[^Math.Min(lines.Length, TailLength)..]);
        }

        return result.StandardOutput;
    }

    private static string Mask(string line, IReadOnlyCollection<string>? secrets)
    {
        if (secrets is null)
        {
            return line;
        }

        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                line = line.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return line;
    }
}

using System.Text;
using TagForge.Errors;

namespace TagForge.Cli;

/// <summary>
/// stderr as the command line hands it to everything (parse errors, the logger, docker's live output, the last
/// guard): every line passes <see cref="Redaction"/> with the secret values of the environment before it is written,
/// so no code path has to remember to. Lines are written whole; a partial line waits for its end or a flush.
/// </summary>
internal sealed class RedactingWriter(TextWriter inner, IReadOnlyCollection<string> secrets) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => inner.Encoding;

    /// <summary>The writer underneath <paramref name="writer"/> (for "is this the terminal?" questions), or itself.</summary>
    public static TextWriter Unwrap(TextWriter writer) => writer is RedactingWriter redacting ? redacting.Inner : writer;

    private TextWriter Inner => inner;

    /// <summary><paramref name="line"/> as this writer would write it (a line cut short later could hide a secret from it).</summary>
    public string Redact(string line) => Redaction.Redact(line, secrets);

    public override void Write(char value)
    {
        lock (_lock)
        {
            _line.Append(value);
            if (value == '\n')
            {
                EmitLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_lock)
        {
            // Each line redacted alone, all of them written at once: a report of 10,000 files was 10,000 system calls.
            StringBuilder? lines = null;
            var start = 0;
            for (var newline = value.IndexOf('\n', StringComparison.Ordinal); newline >= 0; newline = value.IndexOf('\n', start))
            {
                _line.Append(value, start, newline + 1 - start);
                (lines ??= new StringBuilder()).Append(Redaction.Redact(_line.ToString(), secrets));
                _line.Clear();
                start = newline + 1;
            }

            if (lines is not null)
            {
                inner.Write(lines.ToString());
            }

            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + new string(CoreNewLine));

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_lock)
        {
            if (_line.Length > 0)
            {
                inner.Write(Redaction.Redact(_line.ToString(), secrets));
                _line.Clear();
            }

            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void EmitLine()
    {
        inner.Write(Redaction.Redact(_line.ToString(), secrets));
        _line.Clear();
    }
}

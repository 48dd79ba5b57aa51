using System.Globalization;
using System.Text;
using TagForge.Ci;
using TagForge.Errors;
using TagForge.Git;
using TagForge.IO;
using TagForge.Values;

namespace TagForge.Tagging;

/// <summary>Renders a tag template from git, the CI system and the clock.</summary>
public static class TagGenerator
{
    /// <summary>What <c>{build}</c> renders outside CI, where there is no build number.</summary>
    public const string LocalBuildNumber = "local";

    /// <summary>The suffix <see cref="DirtyMode.Suffix"/> appends.</summary>
    public const string DirtySuffix = "-dirty";

    private const string UnknownBranch = "detached";

    /// <summary>
    /// Generates the tag <paramref name="request"/> describes; CI variables, <c>SOURCE_DATE_EPOCH</c> and <c>{env:…}</c>
    /// come from <paramref name="environment"/> (the process's when null), "now" from <paramref name="clock"/>.
    /// </summary>
    /// <exception cref="BadInputException">Bad template, no repository, missing history, unset variable.</exception>
    /// <exception cref="PolicyRefusalException">The tree is dirty and <see cref="DirtyMode.Fail"/> was asked for.</exception>
    public static TagResult Generate(TagRequest request, IEnvironmentVariables? environment = null, TimeProvider? clock = null)
    {
        if (request.Template is not null && request.Preset is not null)
        {
            throw new BadInputException("give a template or a preset, not both");
        }

        var template = TagTemplate.Parse(request.Template ?? (request.Preset is { } preset ? TagPresets.Get(preset) : TagPresets.Default));
        ArgumentNullException.ThrowIfNull(request);
        environment ??= ProcessEnvironment.Instance;
        var ci = CiDetector.Detect(environment);
        var time = BuildTime(request, environment, clock ?? TimeProvider.System);
        var buildNumber = request.BuildNumber ?? ci.BuildNumber ?? (ci.IsLocal ? LocalBuildNumber : null);
        var dirtyMode = request.Dirty ?? DirtyMode.Suffix;

        using var git = GitRepositoryReader.Open(request.RepositoryPath ?? Directory.GetCurrentDirectory());
        var head = git.ReadHead();
        // Pull-request builds check out a merge commit nobody pushed; the tag names the pull request's head.
        var commit = ci.PullRequestHeadCommit ?? head.Sha;
        var branch = ci.IsLocal ? head.Branch : ci.Branch ?? head.Branch;

        var dirty = dirtyMode != DirtyMode.Ignore && git.IsDirty();
        if (dirty && dirtyMode == DirtyMode.Fail)
        {
            throw new PolicyRefusalException(
                $"the working tree at {git.WorkingDirectory} has uncommitted changes to tracked files; commit or stash them (or use --dirty=suffix)");
        }

        GitVersionInfo? version = null;
        var values = new List<(string Text, bool Shrinkable)>();
        foreach (var segment in template.Segments)
        {
            values.Add(segment switch
            {
                LiteralSegment literal => (literal.Text, false),
                PlaceholderSegment placeholder => Render(placeholder),
                _ => throw new InvalidOperationException($"unexpected template segment {segment}"),
            });
        }

        if (dirty)
        {
            values.Add((DirtySuffix, false));
        }

        var tag = Join(values, template);
        return new TagResult(tag, template.Text, commit, branch, buildNumber ?? "", ci.Provider, ci.PullRequest, ci.BuildUrl, time, dirty, version, git.WorkingDirectory);

        (string, bool) Render(PlaceholderSegment placeholder)
        {
            switch (placeholder.Kind)
            {
                case PlaceholderKind.Sha:
                    var length = TagTemplate.ShaLength(placeholder) ?? commit.Length;
                    return length <= commit.Length
                        ? (commit[..length], false)
                        : throw new BadInputException($"{placeholder.Source} asks for {length} characters, but the commit id has {commit.Length}");
                case PlaceholderKind.Branch:
                    return (Sanitized(placeholder, branch ?? UnknownBranch), true);
                case PlaceholderKind.Build:
                    return buildNumber is not null
                        ? (Sanitized(placeholder, buildNumber), false)
                        : throw new BadInputException($"{placeholder.Source}: {ci.Provider} gives no build number here; pass --build-number");
                case PlaceholderKind.Time:
                    return (TagTemplate.FormatTime(time, placeholder.Argument), false);
                case PlaceholderKind.CommitTime:
                    return (TagTemplate.FormatTime(git.CommitTime(commit), placeholder.Argument), false);
                case PlaceholderKind.Version:
                    version ??= git.DescribeVersion(commit, placeholder.Source);
                    return (version.Version.ToString(), false);
                case PlaceholderKind.Height:
                    version ??= git.DescribeVersion(commit, placeholder.Source);
                    return (version.Height.ToString(CultureInfo.InvariantCulture), false);
                case PlaceholderKind.Env:
                    var value = environment.Read(placeholder.Argument!)
                        ?? throw new BadInputException($"{placeholder.Source}: the environment variable {placeholder.Argument} is not set");
                    return (Sanitized(placeholder, value), true);
                case PlaceholderKind.Seq:
                    return request.Sequence is { } sequence
                        ? (sequence.ToString(CultureInfo.InvariantCulture), false)
                        : throw new BadInputException($"{placeholder.Source} is numbered from the registry's tags: use it with push or release, which ask the registry");
                case PlaceholderKind.Content:
                    var content = request.Content
                        ?? throw new BadInputException($"{placeholder.Source} is the hash of an image's inputs: use it with images: in tagforge.yml (release --all, plan)");
                    var contentLength = TagTemplate.ShaLength(placeholder) ?? content.Length;
                    return (content[..Math.Min(contentLength, content.Length)], false);
                default:
                    throw new InvalidOperationException($"unhandled placeholder {placeholder.Source}");
            }
        }
    }

    private static DateTimeOffset BuildTime(TagRequest request, IEnvironmentVariables environment, TimeProvider clock)
    {
        if (request.Time is { } time)
        {
            return time.ToUniversalTime();
        }

        if (environment.Read("SOURCE_DATE_EPOCH") is { } epoch)
        {
            return long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new BadInputException($"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not '{epoch}'");
        }

        return clock.GetUtcNow();
    }

    private static string Sanitized(PlaceholderSegment placeholder, string value)
    {
        var sanitized = TagSanitizer.Sanitize(value);
        return sanitized.Length > 0
            ? sanitized
            : throw new BadInputException($"{placeholder.Source} is '{value}', which has no character a tag can hold");
    }

    /// <summary>
    /// Joins the pieces. Over the 128-character limit, free-form values (branch, env) are shortened, longest
    /// first; the sha, times and numbers never are, so the tag cannot silently lose what makes it unique.
    /// </summary>
    private static string Join(List<(string Text, bool Shrinkable)> values, TagTemplate template)
    {
        var excess = values.Sum(v => v.Text.Length) - ImageTag.MaxLength;
        while (excess > 0)
        {
            var longest = -1;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i].Shrinkable && values[i].Text.Length > 1 && (longest < 0 || values[i].Text.Length > values[longest].Text.Length))
                {
                    longest = i;
                }
            }

            if (longest < 0)
            {
                throw new BadInputException(
                    $"template '{template.Text}' makes a tag of {values.Sum(v => v.Text.Length)} characters, over the limit of {ImageTag.MaxLength}; shorten its literal text");
            }

            var text = values[longest].Text;
            var cut = Math.Max(1, text.Length - excess);
            var shortened = text[..cut].TrimEnd('-', '.');
            values[longest] = (shortened.Length > 0 ? shortened : text[..1], true);
            excess = values.Sum(v => v.Text.Length) - ImageTag.MaxLength;
        }

        var builder = new StringBuilder();
        foreach (var (text, _) in values)
        {
            builder.Append(text);
        }

        var tag = builder.ToString();
        return ImageTag.Explain(tag) is { } problem
            ? throw new BadInputException($"template '{template.Text}' rendered '{tag}', which is not a valid tag: {problem}")
            : tag;
    }
}

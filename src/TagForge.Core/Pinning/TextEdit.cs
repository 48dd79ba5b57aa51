using TagForge.Errors;

namespace TagForge.Pinning;

/// <summary>Replace the characters in [<paramref name="Start"/>, <paramref name="End"/>) with <paramref name="Text"/>.</summary>
internal readonly record struct TextEdit(int Start, int End, string Text)
{
    /// <summary>
    /// Applies non-overlapping edits (identical duplicates, as from a Compose anchor merged into several services,
    /// count once). Everything outside the edits is copied unchanged.
    /// </summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits, string name)
    {
        var ordered = edits as IReadOnlyList<TextEdit> ?? [.. edits];
        switch (ordered.Count)
        {
            case 0:
                return text;
            case 1:
                // Most files change one value: the new text in one allocation of its exact size.
                var only = ordered[0];
                return string.Concat(text.AsSpan(0, only.Start), only.Text, text.AsSpan(only.End));
        }

        ordered = [.. ordered.Distinct().OrderBy(edit => edit.Start).ThenBy(edit => edit.End)];

        var builder = new System.Text.StringBuilder(text.Length + (ordered.Count * 80));
        var position = 0;
        foreach (var edit in ordered)
        {
            if (edit.Start < position)
            {
                throw new BadInputException($"{name}: two images share the text at offset {edit.Start} and need different values; pin them by hand");
            }

            builder.Append(text, position, edit.Start - position).Append(edit.Text);
            position = edit.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}

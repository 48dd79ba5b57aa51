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
        var ordered = edits.Distinct().OrderBy(edit => edit.Start).ThenBy(edit => edit.End).ToList();
        if (ordered.Count == 0)
        {
            return text;
        }

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

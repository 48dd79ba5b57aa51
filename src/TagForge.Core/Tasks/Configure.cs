namespace TagForge.Tasks;

/// <summary>
/// Changes a settings value and returns the changed copy, the shape Nuke's tasks take
/// (<c>TagForgeTasks.Tag(s =&gt; s.SetTemplate("{sha:8}"))</c>).
/// </summary>
/// <typeparam name="T">The settings type.</typeparam>
/// <param name="settings">The settings to start from (the defaults, when a task calls it).</param>
/// <returns>The settings to use.</returns>
public delegate T Configure<T>(T settings);

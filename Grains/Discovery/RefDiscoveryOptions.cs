using System.ComponentModel.DataAnnotations;

namespace Webhooks.Grains.Discovery;

/// <summary>The <c>Webhooks:Discovery</c> settings: how <see cref="GitRefLister"/> runs <c>git ls-remote</c>.</summary>
public sealed class RefDiscoveryOptions
{
    public const string SectionName = "Webhooks:Discovery";

    /// <summary>How long one listing may take, connection and authentication included; the process tree is killed after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The git executable: a name looked up on <c>PATH</c>, or an absolute path.</summary>
    [Required]
    public string GitExecutable { get; set; } = "git";
}

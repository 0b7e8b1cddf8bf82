using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Events;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.SmartCommits;

/// <summary>Turns a push into ALM links and stores them idempotently (one row per project, issue key and commit).</summary>
public static class CommitLinks
{
    private const int MaxMessageLength = 4000;

    /// <summary>
    /// Every commit of every change (Bitbucket lists the newest, head first, also when it truncates), each key once
    /// per commit.
    /// </summary>
    public static List<AlmLink> From(Guid projectId, Guid? deliveryId, BitbucketEvent push, IReadOnlyList<Regex> patterns, DateTimeOffset now)
    {
        var links = new List<AlmLink>();
        if (push.Repository is null)
        {
            return links;
        }

        var seen = new HashSet<(string, string)>();
        var timedOut = new HashSet<Regex>();
        foreach (var change in push.Changes)
        {
            foreach (var commit in change.Commits)
            {
                foreach (var mention in SmartCommitParser.Parse(commit.Message, patterns, timedOut))
                {
                    if (!seen.Add((mention.IssueKey, commit.Hash)))
                    {
                        continue;
                    }

                    links.Add(new AlmLink
                    {
                        ProjectId = projectId,
                        IssueKey = mention.IssueKey,
                        RepositoryKey = push.Repository.Key,
                        Commit = commit.Hash,
                        Ref = change.Name,
                        Author = commit.AuthorName,
                        AuthorEmail = commit.AuthorEmail,
                        Message = commit.Message is { Length: > MaxMessageLength } text ? text[..MaxMessageLength] : commit.Message,
                        CommittedAt = commit.Timestamp,
                        Commands = mention.Commands.ToList(),
                        DeliveryId = deliveryId,
                        LinkedAt = now,
                    });
                }
            }
        }

        return links;
    }

    /// <summary>Inserts the links; a (project, key, commit) already linked is left as it is. Returns how many were new.</summary>
    public static async Task<int> StoreAsync(WebhooksDbContext db, IEnumerable<AlmLink> links, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var link in links)
        {
            var commands = JsonSerializer.Serialize(link.Commands, JsonSerializerOptions.Default);
            inserted += await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO alm_links ("Id", "ProjectId", "IssueKey", "RepositoryKey", "Commit", "Ref", "Author", "AuthorEmail", "Message", "CommittedAt", "Commands", "DeliveryId", "LinkedAt")
                VALUES ({link.Id}, {link.ProjectId}, {link.IssueKey}, {link.RepositoryKey}, {link.Commit}, {link.Ref}, {link.Author}, {link.AuthorEmail}, {link.Message}, {link.CommittedAt}, CAST({commands} AS jsonb), {link.DeliveryId}, {link.LinkedAt})
                ON CONFLICT ("ProjectId", "IssueKey", "Commit") DO NOTHING
                """,
                cancellationToken);
        }

        return inserted;
    }
}

using System.Runtime.InteropServices;

namespace Webhooks.AppHost.Hosting.Processes;

/// <summary>The few libc calls .NET does not expose: signals other than SIGKILL, and the effective user.</summary>
internal static partial class Posix
{
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;
    private const int NoSuchProcess = 3;

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    public static uint GetEffectiveUserId() => geteuid();

    /// <summary>Sends <paramref name="signal"/>; false when the process no longer exists.</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>Whether a process with this id exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        if (kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess)
        {
            return false;
        }

        try
        {
            // "pid (comm) S ..." — Z is a zombie: dead, only its exit status is left.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
            return state.Length == 0 || state[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Vta.Compiler.Llvm;

/// <summary>
/// Machine code per kernel description. In memory: a kernel is compiled once per process. On disk (optional): the
/// host object file is kept under <see cref="Directory"/>, keyed by the description plus the host's triple, CPU and
/// features and the build of this assembly, so a later process links it without running LLVM's optimizer or code generator.
/// </summary>
public static class KernelCache
{
    private static readonly object s_recordLock = new();
    private static volatile OrderedDictionary<string, KernelDefinition>? s_recording;

    /// <summary>Overrides the cache folder; "off" disables the disk cache.</summary>
    public const string DirectoryVariable = "VTA_LLVM_CACHE";

    private static readonly ConcurrentDictionary<string, Lazy<CompiledKernel>> s_kernels = new();
    private static int s_compilations;
    private static int s_diskHits;

    /// <summary>Kernels compiled by LLVM in this process.</summary>
    public static int Compilations => s_compilations;

    /// <summary>Kernels linked from the disk cache in this process.</summary>
    public static int DiskHits => s_diskHits;

    /// <summary>The persistent cache folder, or null when disabled.</summary>
    public static string? Directory
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (configured == "off")
            {
                return null;
            }
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "vta", "llvm-kernels");
        }
    }

    /// <summary>The host machine code of <paramref name="kernel"/>: from memory, from disk, or freshly compiled.</summary>
    public static CompiledKernel Get(KernelDefinition kernel)
    {
        if (s_recording is { } recording)
        {
            lock (recording)
            {
                recording.TryAdd(kernel.Key, kernel);
            }
        }

        return s_kernels.GetOrAdd(kernel.Key, _ => new Lazy<CompiledKernel>(() => Build(kernel))).Value;
    }

    /// <summary>
    /// The kernels <paramref name="action"/> asks for (each once, in the order first asked), for emitting the same kernels
    /// for another target (an object file for a board's CPU). One recording at a time.
    /// </summary>
    public static IReadOnlyList<KernelDefinition> Record(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (s_recordLock)
        {
            var recording = new OrderedDictionary<string, KernelDefinition>(StringComparer.Ordinal);
            s_recording = recording;
            try
            {
                action();
            }
            finally
            {
                s_recording = null;
            }

            return [.. recording.Values];
        }
    }

    /// <summary>Whether this process already holds machine code for the kernel.</summary>
    public static bool Contains(KernelDefinition kernel) => s_kernels.TryGetValue(kernel.Key, out Lazy<CompiledKernel>? k) && k.IsValueCreated;

    private static CompiledKernel Build(KernelDefinition kernel)
    {
        CodeTarget host = CodeTarget.Host;
        string? path = DiskPath(kernel, host);
        byte[]? objectFile = null;
        if (path is not null && File.Exists(path))
        {
            try
            {
                objectFile = File.ReadAllBytes(path);
                Interlocked.Increment(ref s_diskHits);
            }
            catch (IOException)
            {
                objectFile = null;
            }
        }
        if (objectFile is null)
        {
            objectFile = LlvmCompiler.CompileToObject(kernel, host);
            Interlocked.Increment(ref s_compilations);
            if (path is not null)
            {
                TryWrite(path, objectFile);
            }
        }
        nint address = LlvmJit.Instance.Load(objectFile, kernel.Symbol);
        return new CompiledKernel(kernel.Symbol, kernel.Arity, address);
    }

    private static string? DiskPath(KernelDefinition kernel, CodeTarget host)
    {
        string? folder = Directory;
        if (folder is null)
        {
            return null;
        }
        // The assembly's module version id changes with every different build of the generators, so a cache never
        // outlives the code that wrote it (deterministic builds keep it stable for an unchanged build).
        Guid build = typeof(KernelCache).Assembly.ManifestModule.ModuleVersionId;
        string identity = $"{kernel.Key}|{host.Triple}|{host.Cpu}|{host.Features}|{Native.LlvmLibrary.FileName}|{build}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
        return Path.Combine(folder, $"{kernel.Symbol}-{hash}.o");
    }

    private static void TryWrite(string path, byte[] objectFile)
    {
        // A cache that cannot be written (read-only home, full disk) only costs a recompile next time.
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, objectFile);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A linked kernel: its symbol and entry address, called with its pointer arguments.</summary>
public sealed unsafe class CompiledKernel(string symbol, int arity, nint address)
{
    public string Symbol { get; } = symbol;

    public int Arity { get; } = arity;

    public nint Address { get; } = address;

    /// <summary>Calls the kernel. The caller keeps every buffer pinned and large enough for the kernel's shapes.</summary>
    public void Invoke(ReadOnlySpan<nint> args)
    {
        if (args.Length != Arity)
        {
            throw new ArgumentException($"{Symbol} takes {Arity} pointers, got {args.Length}");
        }
        switch (args.Length)
        {
            case 1: ((delegate* unmanaged<nint, void>)Address)(args[0]); break;
            case 2: ((delegate* unmanaged<nint, nint, void>)Address)(args[0], args[1]); break;
            case 3: ((delegate* unmanaged<nint, nint, nint, void>)Address)(args[0], args[1], args[2]); break;
            case 4: ((delegate* unmanaged<nint, nint, nint, nint, void>)Address)(args[0], args[1], args[2], args[3]); break;
            case 5: ((delegate* unmanaged<nint, nint, nint, nint, nint, void>)Address)(args[0], args[1], args[2], args[3], args[4]); break;
            case 6: ((delegate* unmanaged<nint, nint, nint, nint, nint, nint, void>)Address)(args[0], args[1], args[2], args[3], args[4], args[5]); break;
            default: throw new ArgumentException($"kernels take 1 to 6 pointers, {Symbol} has {args.Length}");
        }
    }
}

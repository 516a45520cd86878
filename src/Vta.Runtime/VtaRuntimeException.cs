namespace Vta.Runtime;

/// <summary>Misuse of the runtime (bad buffer, offset, token or kernel), refused before anything runs.</summary>
public sealed class VtaRuntimeException(string message) : Exception(message);

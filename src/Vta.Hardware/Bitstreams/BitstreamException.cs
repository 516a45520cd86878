namespace Vta.Hardware.Bitstreams;

/// <summary>A file that is not a usable bitstream, or a catalogue that does not hold what it claims.</summary>
public sealed class BitstreamException(string message, Exception? inner = null) : Exception(message, inner);

namespace Vta.Sim.Races;

/// <summary>Whether an instruction reads or writes SRAM elements (a read-modify-write is reported as a write).</summary>
public enum SramAccess
{
    Read,
    Write,
}

namespace Vta.Sim.Races;

/// <summary>The on-chip buffers an instruction can touch, as the race checker names them.</summary>
public enum SramBuffer
{
    Inp,
    Wgt,
    Acc,
    Out,
    Uop,
}

// What nvidia-smi's exit statuses mean (nvidia-smi(1), RETURN VALUE; they
// mirror NVML's nvmlReturn_t). Any of them leaves the GPUs unknown.
const MEANINGS: Readonly<Record<number, string>> = {
  2: 'invalid argument or flag',
  3: 'the requested operation is not available on the target device',
  4: 'the current user has no permission to access this device',
  6: 'a query to find an object was unsuccessful',
  8: "a device's external power cables are not properly attached",
  9: 'the NVIDIA driver is not loaded',
  10: 'the NVIDIA kernel detected an interrupt issue with a GPU',
  12: 'the NVML shared library could not be found or loaded',
  13: 'the local version of NVML does not implement this function',
  14: 'the infoROM is corrupted',
  15: 'the GPU has fallen off the bus or has otherwise become inaccessible',
  255: 'other error or internal driver error',
};

export function nvidiaExitMeaning(exitCode: number): string | null {
  return MEANINGS[exitCode] ?? null;
}

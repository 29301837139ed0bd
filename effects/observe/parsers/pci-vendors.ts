// Vendor names for the ids of display-controller vendors, used only when
// lspci prints ids without names (no pci.ids database installed). The id is
// always kept; this table only names it.
export const PCI_VENDORS: Readonly<Record<string, string>> = {
  '10de': 'NVIDIA Corporation',
  '1002': 'Advanced Micro Devices, Inc. [AMD/ATI]',
  '8086': 'Intel Corporation',
  '1af4': 'Red Hat, Inc.',
  '1234': 'QEMU',
  '15ad': 'VMware',
  '1414': 'Microsoft Corporation',
  '1a03': 'ASPEED Technology, Inc.',
  '102b': 'Matrox Electronics Systems Ltd.',
};

// Django Channels: its app and the in-memory channel layer its documentation keeps out of production.
import type { Fact, Library } from './types';

export const CHANNELS = {
  distribution: 'channels',
  modules: ['channels'],
  readAt: '4.x documentation',
} as const satisfies Library;

export const CHANNEL_LAYERS: Fact<{ readonly setting: string; readonly inMemory: string }> = {
  value: { setting: 'CHANNEL_LAYERS', inMemory: 'channels.layers.InMemoryChannelLayer' },
  source: {
    url: 'https://channels.readthedocs.io/en/stable/topics/channel_layers.html#in-memory-channel-layer',
    quote:
      'Do Not Use In Production. In-memory channel layers operate with each process as a separate layer. This means that no cross-process messaging is possible.',
  },
};

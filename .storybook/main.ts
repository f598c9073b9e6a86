import type { StorybookConfig } from '@storybook/react-vite'

// Written by hand (TOOLCHAIN.md: `storybook init` asks the registry for a version it lacks).
// The root vite.config.ts is the library build; Storybook keeps only its build target.
const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest'],
  core: { disableTelemetry: true },
}

export default config

/// <reference types="vite/client" />
import '../src/react/styles.css'
import './preview.css'
import type { Decorator, Preview } from '@storybook/react-vite'
import { withMockConnection } from '../stories/support/MockConnection.js'

/** The two themes styles.css knows: it reads `data-theme` on any ancestor of the indicator. */
type Theme = 'light' | 'dark'

/**
 * Puts the story on a page of its theme: the story's `theme` parameter when it pins one (the
 * dark stories), else the toolbar's. A wrapper rather than `<html data-theme>`, so the stories
 * of one Docs page can each have their own.
 */
const withTheme: Decorator = (Story, context) => {
  const theme = (context.parameters.theme ?? context.globals.theme ?? 'light') as Theme
  return (
    <div className="sb-surface" data-theme={theme} data-view={context.viewMode}>
      <Story />
    </div>
  )
}

const preview: Preview = {
  // The first is innermost: the mock connection sits inside the themed page.
  decorators: [withMockConnection, withTheme],
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  globalTypes: {
    theme: {
      description: 'Light or dark page (stories that pin a theme keep theirs)',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
}

export default preview

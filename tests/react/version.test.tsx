import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { expect, it } from 'vitest'

// Proves each React project really runs the React it is named after.
it('runs against the React version of its project', ({ task }) => {
  const project = task.file.projectName
  const major = project === 'react18' ? '18' : '19'
  expect(version.split('.')[0]).toBe(major)
  expect(domVersion.split('.')[0]).toBe(major)
})

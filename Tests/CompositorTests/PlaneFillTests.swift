import Testing
@testable import Compositor

@Suite struct PlaneFillTests {
    @Test(arguments: [1, 3, 15, 17, 33, 641])
    func fillMatchesReferenceAndStaysInsideTheRectangle(width: Int) {
        let rect = PixelRect(x: 3, y: 2, width: width, height: 5)
        let planes = [TestPlane(width: width + 9, height: 9, stride: width + 70, fill: 7),
                      TestPlane(width: width + 9, height: 9, stride: width + 70, fill: 7)]
        PlaneFill.fill(planes[0].view(rect), with: 200)
        PlaneFill.fillReference(planes[1].view(rect), with: 200)
        #expect(planes[0].bytes() == planes[1].bytes())
        let whole = planes[0].whole
        #expect(whole[3, 2] == 200 && whole[2 + width, 6] == 200)
        #expect(whole[2, 2] == 7 && whole[3 + width, 2] == 7 && whole[3, 1] == 7 && whole[3, 7] == 7)
    }
}
